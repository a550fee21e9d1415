// The data map's scatter on a canvas: x = variability (0 to 0.5, the most a
// spread of probabilities can be), y = confidence (0 to 1). Correctly
// labeled images are blue dots; mislabeled ones orange triangles, drawn on
// top, so that colour and shape both tell them apart. One canvas, not an
// element per point: a thousand points redraw in a millisecond or two.

export const X_MAX = 0.5;
const PAD = { left: 56, right: 14, top: 12, bottom: 48 };
const CLEAN = '#2563eb'; // --clean in style.css
const NOISY = '#e8590c'; // --noisy
const INK = '#1b2330';

/** Where the plot sits in a canvas of `width`×`height` CSS pixels. */
export function frame(width, height) {
  const w = Math.max(1, width - PAD.left - PAD.right);
  const h = Math.max(1, height - PAD.top - PAD.bottom);
  return {
    x: (v) => PAD.left + (Math.min(v, X_MAX) / X_MAX) * w,
    y: (c) => PAD.top + (1 - c) * h,
    variabilityAt: (px) => ((px - PAD.left) / w) * X_MAX,
    confidenceAt: (py) => 1 - (py - PAD.top) / h,
    left: PAD.left, right: PAD.left + w, top: PAD.top, bottom: PAD.top + h,
  };
}

/** The nearest point within `radius` CSS pixels of (px, py), or null. */
export function nearest(points, f, px, py, radius = 8) {
  let best = null;
  let bestD = radius * radius;
  for (const p of points) {
    const d = (f.x(p.variability) - px) ** 2 + (f.y(p.confidence) - py) ** 2;
    if (d <= bestD) {
      best = p;
      bestD = d;
    }
  }
  return best;
}

function axes(ctx, f) {
  ctx.strokeStyle = '#e8ebf0';
  ctx.lineWidth = 1;
  ctx.fillStyle = '#5b6474';
  ctx.font = '10px system-ui, sans-serif';
  for (const c of [0, 0.25, 0.5, 0.75, 1]) {
    ctx.beginPath();
    ctx.moveTo(f.left, f.y(c));
    ctx.lineTo(f.right, f.y(c));
    ctx.stroke();
    ctx.textAlign = 'right';
    ctx.fillText(`${Math.round(c * 100)}%`, f.left - 5, f.y(c) + 3);
  }
  for (const v of [0, 0.1, 0.2, 0.3, 0.4, 0.5]) {
    ctx.beginPath();
    ctx.moveTo(f.x(v), f.top);
    ctx.lineTo(f.x(v), f.bottom);
    ctx.stroke();
    ctx.textAlign = 'center';
    ctx.fillText(v.toFixed(1), f.x(v), f.bottom + 13);
  }
  ctx.fillStyle = '#4b5565';
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText('variability: how much that changes from epoch to epoch →', (f.left + f.right) / 2, f.bottom + 32);
  ctx.save();
  ctx.translate(14, (f.top + f.bottom) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText('confidence: how sure the model is of the given label,', 0, 0);
  ctx.fillText('averaged over epochs →', 0, 13);
  ctx.restore();
}

// Drawn over the points with a white halo: the hard-to-learn corner is
// where the points crowd.
function regions(ctx, f) {
  ctx.font = '600 11px system-ui, sans-serif';
  ctx.lineWidth = 3;
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.9)';
  ctx.fillStyle = '#4b5565';
  const label = (text, x, y, align) => {
    ctx.textAlign = align;
    ctx.strokeText(text, x, y);
    ctx.fillText(text, x, y);
  };
  label('easy to learn', f.left + 6, f.top + 14, 'left');
  label('hard to learn', f.x(0.12), f.bottom - 8, 'left');
  label('ambiguous', f.right - 6, (f.top + f.bottom) / 2, 'right');
}

function target(ctx, f, ceiling) {
  ctx.save();
  ctx.setLineDash([2, 3]);
  ctx.strokeStyle = INK;
  ctx.lineWidth = 1.2;
  ctx.beginPath();
  ctx.moveTo(f.left, f.y(ceiling));
  ctx.lineTo(f.right, f.y(ceiling));
  ctx.stroke();
  ctx.restore();
  ctx.fillStyle = INK;
  ctx.font = '10.5px system-ui, sans-serif';
  ctx.textAlign = 'right';
  ctx.fillText(`smoothed target for the given label: 1 − ε + ε/K = ${Math.round(ceiling * 100)}%`,
    f.right - 6, f.y(ceiling) - 4);
}

function dot(ctx, x, y) {
  ctx.moveTo(x + 2.6, y);
  ctx.arc(x, y, 2.6, 0, 2 * Math.PI);
}

function triangle(ctx, x, y) {
  ctx.moveTo(x, y - 4.2);
  ctx.lineTo(x + 4, y + 3);
  ctx.lineTo(x - 4, y + 3);
  ctx.closePath();
}

/**
 * Draws `points` ({variability, confidence, mislabeled, id}) on `canvas`,
 * `size` ({width, height}) CSS pixels large, at the device's pixel ratio, ringing those whose id is in `selected` and
 * marking the one whose image is shown (`shown`, or null) with a cross.
 * `ceiling`: the p(given) a smoothed model is trained towards, 1 − ε + ε/K,
 * drawn dotted (null for the baseline): its points cannot rise far above it.
 */
export function drawMap(canvas, size, points, selected, shown, ceiling = null) {
  const ratio = window.devicePixelRatio || 1;
  const { width, height } = size;
  const [w, h] = [Math.round(width * ratio), Math.round(height * ratio)];
  if (canvas.width !== w || canvas.height !== h) Object.assign(canvas, { width: w, height: h });
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const f = frame(width, height);
  axes(ctx, f);
  if (ceiling !== null) target(ctx, f, ceiling);
  // One path per kind: a fill per point would cost a thousand draw calls.
  for (const [mislabeled, colour, shape, alpha] of [[false, CLEAN, dot, 0.55], [true, NOISY, triangle, 0.9]]) {
    ctx.beginPath();
    for (const p of points) if (p.mislabeled === mislabeled) shape(ctx, f.x(p.variability), f.y(p.confidence));
    ctx.globalAlpha = alpha;
    ctx.fillStyle = colour;
    ctx.fill();
  }
  ctx.globalAlpha = 1;
  if (selected.size) {
    ctx.beginPath();
    for (const p of points) {
      if (!selected.has(p.id)) continue;
      const [x, y] = [f.x(p.variability), f.y(p.confidence)];
      ctx.moveTo(x + 4, y);
      ctx.arc(x, y, 4, 0, 2 * Math.PI);
    }
    ctx.strokeStyle = INK;
    ctx.lineWidth = 1;
    ctx.stroke();
  }
  regions(ctx, f);
  const p = shown === null ? null : points.find((q) => q.id === shown);
  if (p) {
    const [x, y] = [f.x(p.variability), f.y(p.confidence)];
    ctx.beginPath();
    ctx.moveTo(x - 11, y);
    ctx.lineTo(x - 5, y);
    ctx.moveTo(x + 5, y);
    ctx.lineTo(x + 11, y);
    ctx.moveTo(x, y - 11);
    ctx.lineTo(x, y - 5);
    ctx.moveTo(x, y + 5);
    ctx.lineTo(x, y + 11);
    ctx.moveTo(x + 6, y);
    ctx.arc(x, y, 6, 0, 2 * Math.PI);
    ctx.strokeStyle = INK;
    ctx.lineWidth = 2;
    ctx.stroke();
  }
  return f;
}
