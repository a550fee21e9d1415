// An epoch count as a person reads it. Points of the curves fall at epoch
// ends ("3") or, on small sets, at fractions of an epoch ("2.25").

export function epochText(epoch) {
  return Number.isInteger(epoch) ? String(epoch) : epoch.toFixed(2).replace(/0$/, '');
}
