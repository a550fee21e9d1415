// A share as the page writes it: "73%", or with `digits` decimals "72.9%".
export function percent(share, digits = 0) {
  return `${digits ? (share * 100).toFixed(digits) : Math.round(share * 100)}%`;
}
