// A form's whole-number input read against its range: the number, or
// undefined with the input marked invalid (aria-invalid) for the person to see.

/** The value of `input` when it is a whole number in [min, max]. */
export function wholeNumber(input, min, max) {
  const v = Number(input.value);
  const ok = input.value !== '' && Number.isInteger(v) && v >= min && v <= max;
  input.setAttribute('aria-invalid', String(!ok));
  return ok ? v : undefined;
}
