"""The measuring child for the Pillow tools: the tutorials' Pillow approach done well.

One decode with draft() shrink-on-load, upright (EXIF), an embedded non-sRGB profile converted to
sRGB with ImageCms after the first resize, then a cascade largest preset first (thumbnail() with
LANCZOS and reducing_gap, ImageOps.fit centred for `cover`: Pillow has no attention crop), each
encoded with Pillow's defaults for the preset's quality (WebP method 4, baseline JPEG 4:2:0).

- `pillow-draft`: draft() picks its own scale, the smallest JPEG scale covering every preset.
- `pillow-gated`: draft() limited to the scale imgpipe's quality gate allows (`DCT_MIN_RESIDUAL`:
  at least `minResidual` x Lanczos shrink left after the DCT scaling), i.e. at equal quality.
- `pillow-upload` / `pillow-upload-gated`: what resize and metadata-sync do to the bytes, in one
  function: the variants above plus the metadata (format, size, orientation, mode, bit depth,
  frames, progressive, ICC description, the EXIF subset), a ThumbHash of a <= 100 px copy (from
  the smallest whole-picture variant: one decode) and the dominant colour (sharp's rule: the most
  populated of 16x16x16 bins, its centre). The bytes come from memory, like the Node tools.

Prints one JSON line like the Node worker.
"""
import io
import json
import math
import os
import resource
import sys
import time

from PIL import Image, ImageCms, ImageOps

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from thumbhash import rgba_to_thumbhash  # noqa: E402

FORMATS = {"webp": "WEBP", "jpeg": "JPEG", "png": "PNG", "avif": "AVIF"}


def needed_size(size, presets):
    width, height = size
    scale = 0.0
    for p in presets:
        sx, sy = p["width"] / width, p["height"] / height
        scale = max(scale, max(sx, sy) if p["fit"] == "cover" else min(sx, sy))
    scale = min(1.0, scale)
    return (max(1, int(width * scale + 0.999)), max(1, int(height * scale + 0.999)))


SRGB = ImageCms.createProfile("sRGB")
PERCEPTUAL = 0


def to_srgb(img, icc):
    """Converts from an embedded non-sRGB profile with LittleCMS, as a colour-correct pipeline must."""
    if not icc:
        return img
    source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    if "sRGB" in (ImageCms.getProfileDescription(source) or ""):
        return img
    return ImageCms.profileToProfile(img, source, SRGB, renderingIntent=PERCEPTUAL, outputMode=img.mode)


def dct_shrink(width, height, target, min_residual):
    """imgpipe's `dctShrink`: the largest DCT factor whose decode leaves a `min_residual` x shrink."""
    for f in (8, 4, 2):
        w, h = width // f, height // f
        if w >= 1 and h >= 1 and w >= target[0] * min_residual and h >= target[1] * min_residual:
            return f
    return 1


def orientation_of(im):
    try:
        value = im.getexif().get(0x0112, 1)
    except Exception:  # damaged EXIF: as stored, like imgpipe
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def draft(im, presets, min_residual):
    """Shrink-on-load: Pillow's own choice (min_residual None) or the gate's factor."""
    if im.format != "JPEG":
        return
    if min_residual is None:
        im.draft("RGB", needed_size(im.size, presets))
        return
    width, height = im.size
    transposed = orientation_of(im) >= 5
    displayed = (height, width) if transposed else (width, height)
    target = needed_size(displayed, presets)
    if transposed:
        target = (target[1], target[0])
    f = dct_shrink(width, height, target, min_residual)
    # draft() takes the largest factor whose decode still covers the size asked: this size gives f.
    im.draft("RGB", (width // f, height // f))


def render(data, presets, min_residual=None, im=None):
    """The variants' outputs and the rendered images by preset name."""
    im = im or Image.open(io.BytesIO(data))
    icc = im.info.get("icc_profile")
    draft(im, presets, min_residual)
    im = ImageOps.exif_transpose(im)
    if im.mode not in ("RGB", "RGBA"):
        im = im.convert("RGB")
    current = im
    rendered = {}
    for p in sorted(presets, key=lambda p: p["width"] * p["height"], reverse=True):
        box = (p["width"], p["height"])
        if p["fit"] == "cover":
            current = ImageOps.fit(current, box, Image.LANCZOS, centering=(0.5, 0.5))
        else:
            current = current.copy()
            current.thumbnail(box, Image.LANCZOS)
        # Colour management after the resize, once, on the largest output (the others derive from it).
        current = to_srgb(current, icc)
        icc = None
        rendered[p["name"]] = current
    outputs = []
    for p in presets:
        img = rendered[p["name"]]
        if p["format"] == "jpeg" and img.mode == "RGBA":
            img = img.convert("RGB")
        buf = io.BytesIO()
        if p["format"] == "png":
            img.save(buf, "PNG")
        else:
            img.save(buf, FORMATS[p["format"]], quality=p["quality"])
        outputs.append(
            {
                "name": p["name"],
                "format": p["format"],
                "width": img.width,
                "height": img.height,
                "bytes": buf.tell(),
                "data": buf.getvalue(),
            }
        )
    return outputs, rendered


EXIF_PHOTO_IFD = 0x8769
EXIF_TAGS = {"make": 0x010F, "model": 0x0110}
PHOTO_TAGS = {
    "lens": 0xA434,
    "takenAt": 0x9003,
    "offset": 0x9011,
    "exposureTime": 0x829A,
    "fNumber": 0x829D,
    "iso": 0x8827,
    "focalLength": 0x920A,
}
BITS = {"1": 1, "L": 8, "P": 8, "RGB": 8, "RGBA": 8, "CMYK": 8, "YCbCr": 8, "LA": 8, "I;16": 16, "I": 32, "F": 32}


def metadata_of(im):
    """What metadata-sync records from the header (the pixels' part is the placeholder's)."""
    orientation = orientation_of(im)
    width, height = im.size
    meta = {
        "format": (im.format or "").lower(),
        "width": height if orientation >= 5 else width,
        "height": width if orientation >= 5 else height,
        "orientation": orientation,
        "hasAlpha": im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info,
        "colorSpace": im.mode,
        "bitDepth": BITS.get(im.mode, 8),
        "pages": getattr(im, "n_frames", 1),
        "progressive": bool(im.info.get("progressive") or im.info.get("progression")),
    }
    icc = im.info.get("icc_profile")
    if icc:
        try:
            meta["iccDescription"] = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(icc))).strip()
        except Exception:  # a profile's name is never worth an error
            pass
    exif = {}
    try:
        tags = im.getexif()
        photo = tags.get_ifd(EXIF_PHOTO_IFD)
        for name, tag in EXIF_TAGS.items():
            if tag in tags:
                exif[name] = str(tags[tag]).strip("\0 ")
        for name, tag in PHOTO_TAGS.items():
            if tag in photo:
                value = photo[tag]
                exif[name] = float(value) if isinstance(value, (int, float)) or hasattr(value, "numerator") else str(value)
    except Exception:  # damaged EXIF yields nothing, never an error
        exif = {}
    if exif:
        meta["exif"] = exif
    return meta


def placeholder_of(rendered, presets):
    """ThumbHash and dominant colour from a <= 100 px copy of the smallest whole-picture variant."""
    whole = [p for p in presets if p["fit"] != "cover"]
    source = min((rendered[p["name"]] for p in whole), key=lambda i: i.width * i.height)
    small = source.copy()
    small.thumbnail((100, 100), Image.LANCZOS)
    rgba = small.convert("RGBA")
    thumbhash = rgba_to_thumbhash(rgba.width, rgba.height, rgba.tobytes())
    # sharp's `dominant`: 16 bins per channel, the fullest bin's centre.
    binned = rgba.convert("RGB").point(lambda v: v & 0xF0)
    _, (r, g, b) = max(binned.getcolors(4096))
    return thumbhash, "#%02x%02x%02x" % (r + 8, g + 8, b + 8)


def upload(data, presets, min_residual):
    """resize's variants and metadata-sync's metadata, placeholder and colour, from one decode."""
    im = Image.open(io.BytesIO(data))
    meta = metadata_of(im)
    outputs, rendered = render(data, presets, min_residual, im)
    thumbhash, dominant = placeholder_of(rendered, presets)
    meta["placeholder"] = thumbhash
    meta["dominantColor"] = dominant
    # Like the Node tool's summary: the hash's length and the displayed size it stands for.
    summary = {"name": "placeholder", "format": "thumbhash", "width": meta["width"], "height": meta["height"]}
    return outputs + [{**summary, "bytes": len(thumbhash), "data": thumbhash}]


TOOLS = {
    "pillow-draft": lambda data, presets, residual: render(data, presets)[0],
    "pillow-gated": lambda data, presets, residual: render(data, presets, residual)[0],
    "pillow-upload": lambda data, presets, residual: upload(data, presets, None),
    "pillow-upload-gated": lambda data, presets, residual: upload(data, presets, residual),
}


def peak_rss_mb():
    """Linux's VmHWM (starts afresh at exec; ru_maxrss keeps the forking parent's size), else getrusage."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    job = json.loads(sys.argv[1])
    inputs = []
    for path in job["paths"]:
        with open(path, "rb") as f:
            inputs.append(f.read())
    presets = job["presets"]
    residual = job.get("minResidual", 2)
    work = TOOLS[job["tool"]]
    outputs = []
    for _ in range(job["warmup"]):
        for data in inputs:
            outputs = work(data, presets, residual)
    samples = []
    for _ in range(job["iterations"]):
        cpu0 = time.process_time()
        t0 = time.perf_counter()
        for data in inputs:
            outputs = work(data, presets, residual)
        samples.append({"wallMs": (time.perf_counter() - t0) * 1000, "cpuMs": (time.process_time() - cpu0) * 1000})
    if job.get("saveLargeTo"):
        for o in outputs:
            if o["name"] == "large":
                with open(job["saveLargeTo"], "wb") as f:
                    f.write(o["data"])
    summaries = [{k: v for k, v in o.items() if k != "data"} for o in outputs]
    print(json.dumps({"samples": samples, "peakRssMb": peak_rss_mb(), "outputs": summaries, "threads": None}))


if __name__ == "__main__":
    main()
