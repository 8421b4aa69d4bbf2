"""The measuring child for `pillow-draft`: the tutorials' Pillow approach done well.

One decode with draft() shrink-on-load to the smallest JPEG scale covering every preset, upright
(EXIF), an embedded non-sRGB profile converted to sRGB with ImageCms after the first resize, then
a cascade largest preset first (thumbnail() with LANCZOS and reducing_gap, ImageOps.fit
centred for `cover`: Pillow has no attention crop), each encoded with Pillow's defaults for the
preset's quality (WebP method 4, baseline JPEG 4:2:0). Prints one JSON line like the Node worker.
"""
import io
import json
import resource
import sys
import time

from PIL import Image, ImageCms, ImageOps

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


def render(data, presets):
    im = Image.open(io.BytesIO(data))
    icc = im.info.get("icc_profile")
    im.draft("RGB", needed_size(im.size, presets))
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
    return outputs


def main():
    job = json.loads(sys.argv[1])
    inputs = []
    for path in job["paths"]:
        with open(path, "rb") as f:
            inputs.append(f.read())
    presets = job["presets"]
    outputs = []
    for _ in range(job["warmup"]):
        for data in inputs:
            outputs = render(data, presets)
    samples = []
    for _ in range(job["iterations"]):
        cpu0 = time.process_time()
        t0 = time.perf_counter()
        for data in inputs:
            outputs = render(data, presets)
        samples.append({"wallMs": (time.perf_counter() - t0) * 1000, "cpuMs": (time.process_time() - cpu0) * 1000})
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if job.get("saveLargeTo"):
        for o in outputs:
            if o["name"] == "large":
                with open(job["saveLargeTo"], "wb") as f:
                    f.write(o["data"])
    summaries = [{k: v for k, v in o.items() if k != "data"} for o in outputs]
    print(json.dumps({"samples": samples, "peakRssMb": peak_kb / 1024, "outputs": summaries, "threads": None}))


if __name__ == "__main__":
    main()
