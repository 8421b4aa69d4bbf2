"""ThumbHash (https://evanw.github.io/thumbhash/) for the Pillow per-upload comparator.

A port of the reference encoder (`rgbaToThumbHash` of the npm package `thumbhash`, the one
metadata-sync calls) to the standard library: the `thumbhash` Python packages are not on Debian, and
the bench installs nothing from PyPI. The DCT is computed separably (row sums per horizontal
frequency, then the vertical one), the fast way to do the reference's sums in pure Python: the
result is the reference's bytes, except that a term lying on a rounding half step may land one
4-bit step over (`tools/bench/tests/per-upload.spec.ts` compares them).
"""
import math
from operator import mul


def _round(value):
    """JavaScript's Math.round (half up), which the reference uses; Python's round() is half-even."""
    return math.floor(value + 0.5)


def _encode_channel(channel, w, h, nx, ny):
    """DC, normalised AC terms and scale of one channel, in the reference's order."""
    rows = [channel[y * w : (y + 1) * w] for y in range(h)]
    row_sums = {}
    dc, ac, scale = 0.0, [], 0.0
    for cy in range(ny):
        fy = [math.cos(math.pi / h * cy * (y + 0.5)) for y in range(h)]
        cx = 0
        while cx * ny < nx * (ny - cy):
            sums = row_sums.get(cx)
            if sums is None:
                fx = [math.cos(math.pi / w * cx * (x + 0.5)) for x in range(w)]
                sums = [sum(map(mul, row, fx)) for row in rows]
                row_sums[cx] = sums
            f = sum(map(mul, sums, fy)) / (w * h)
            if cx or cy:
                ac.append(f)
                scale = max(scale, abs(f))
            else:
                dc = f
            cx += 1
    if scale:
        ac = [0.5 + 0.5 / scale * f for f in ac]
    return dc, ac, scale


def rgba_to_thumbhash(w, h, rgba):
    """The ThumbHash bytes of a w x h RGBA image (at most 100 x 100, not premultiplied)."""
    if w > 100 or h > 100:
        raise ValueError(f"{w}x{h} doesn't fit in 100x100")
    n = w * h
    reds, greens, blues, alphas = rgba[0::4], rgba[1::4], rgba[2::4], rgba[3::4]
    alpha = [v / 255 for v in alphas]
    avg_a = sum(alpha)
    avg_r = sum(a / 255 * v for a, v in zip(alpha, reds))
    avg_g = sum(a / 255 * v for a, v in zip(alpha, greens))
    avg_b = sum(a / 255 * v for a, v in zip(alpha, blues))
    if avg_a:
        avg_r, avg_g, avg_b = avg_r / avg_a, avg_g / avg_a, avg_b / avg_a
    has_alpha = avg_a < n
    l_limit = 5 if has_alpha else 7
    lx = max(1, _round(l_limit * w / max(w, h)))
    ly = max(1, _round(l_limit * h / max(w, h)))
    # Composite atop the average colour, then RGB to LPQ (luminance, yellow-blue, red-green).
    r = [avg_r * (1 - a) + a / 255 * v for a, v in zip(alpha, reds)]
    g = [avg_g * (1 - a) + a / 255 * v for a, v in zip(alpha, greens)]
    b = [avg_b * (1 - a) + a / 255 * v for a, v in zip(alpha, blues)]
    lum = [(x + y + z) / 3 for x, y, z in zip(r, g, b)]
    p = [(x + y) / 2 - z for x, y, z in zip(r, g, b)]
    q = [x - y for x, y in zip(r, g)]
    l_dc, l_ac, l_scale = _encode_channel(lum, w, h, max(3, lx), max(3, ly))
    p_dc, p_ac, p_scale = _encode_channel(p, w, h, 3, 3)
    q_dc, q_ac, q_scale = _encode_channel(q, w, h, 3, 3)
    if has_alpha:
        a_dc, a_ac, a_scale = _encode_channel(alpha, w, h, 5, 5)
    landscape = w > h
    header24 = (
        _round(63 * l_dc)
        | (_round(31.5 + 31.5 * p_dc) << 6)
        | (_round(31.5 + 31.5 * q_dc) << 12)
        | (_round(31 * l_scale) << 18)
        | (int(has_alpha) << 23)
    )
    header16 = (ly if landscape else lx) | (_round(63 * p_scale) << 3) | (_round(63 * q_scale) << 9) | (int(landscape) << 15)
    out = [header24 & 255, (header24 >> 8) & 255, header24 >> 16, header16 & 255, header16 >> 8]
    if has_alpha:
        out.append(_round(15 * a_dc) | (_round(15 * a_scale) << 4))
    start = len(out)
    index = 0
    for terms in [l_ac, p_ac, q_ac, a_ac] if has_alpha else [l_ac, p_ac, q_ac]:
        for f in terms:
            slot = start + (index >> 1)
            while len(out) <= slot:
                out.append(0)
            out[slot] |= _round(15 * f) << ((index & 1) << 2)
            index += 1
    return bytes(out)


if __name__ == "__main__":
    # Test hook: `python3 thumbhash.py <w> <h> <raw RGBA file>` prints the hash as base64.
    import base64
    import sys

    width, height, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    with open(path, "rb") as f:
        print(base64.b64encode(rgba_to_thumbhash(width, height, f.read())).decode())
