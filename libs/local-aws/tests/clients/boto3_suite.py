"""Everyday boto3 use against the local stack's endpoint (argv[1]); prints one JSON object of observations.

The Jest test (boto3.e2e.spec.ts) runs this with Debian's python3-boto3 and compares the observations
with what S3 answers. Each step records its outcome; an unexpected exception is recorded, not raised.
"""
import hashlib
import json
import os
import sys
import tempfile
import urllib.error
import urllib.request
import uuid

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = sys.argv[1]


def client(access_key, secret, **config):
    """An S3 client on the local endpoint with path-style addressing and these credentials."""
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=access_key,
        aws_secret_access_key=secret,
        config=Config(s3={"addressing_style": "path"}, **config),
    )


s3 = client("AKIDBOTO3", "any-secret", retries={"max_attempts": 1})
out = {}
BUCKET = "boto-bucket"
KEYS = ["a b.txt", "1+1=2.txt", "100%.txt", "a&b=c.txt", "ünï/日本/😀.txt", "empty.txt"]


def error_code(fn):
    try:
        fn()
        return "ok"
    except ClientError as e:
        return e.response["Error"]["Code"]


def http(method, url, body=None, headers=None):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def step(name):
    def wrap(fn):
        try:
            out[name] = fn()
        except Exception as e:  # noqa: BLE001 - every failure becomes an observation
            out[name] = f"raised {type(e).__name__}: {e}"
        return fn

    return wrap


s3.create_bucket(Bucket=BUCKET)


@step("awkward keys round-trip")
def _():
    for key in KEYS:
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"" if key == "empty.txt" else key.encode())
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, PaginationConfig={"PageSize": 2}):
        keys += [c["Key"] for c in page.get("Contents", [])]
    bodies = [s3.get_object(Bucket=BUCKET, Key=k)["Body"].read().decode() for k in KEYS]
    return {"listed": sorted(keys) == sorted(KEYS), "bodies": bodies == [("" if k == "empty.txt" else k) for k in KEYS]}


@step("v1 listing with a delimiter")
def _():
    page = s3.list_objects(Bucket=BUCKET, Delimiter="/")
    return {"prefixes": [p["Prefix"] for p in page.get("CommonPrefixes", [])], "keys": len(page["Contents"])}


@step("metadata")
def _():
    # boto3 refuses non-ASCII metadata itself; SDK v3 sends it (tested there).
    s3.put_object(Bucket=BUCKET, Key="meta.txt", Body=b"m", Metadata={"name": "Zoe", "with-dash": "a b=c"})
    return s3.head_object(Bucket=BUCKET, Key="meta.txt")["Metadata"]


@step("managed multipart upload, copy and download")
def _():
    config = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
    data = os.urandom(12 * 1024 * 1024)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "big.bin")
        with open(src, "wb") as f:
            f.write(data)
        s3.upload_file(src, BUCKET, "big.bin", Config=config)
        s3.copy({"Bucket": BUCKET, "Key": "big.bin"}, BUCKET, "big copy+1.bin", Config=config)
        back = os.path.join(tmp, "back.bin")
        s3.download_file(BUCKET, "big copy+1.bin", back, Config=config)
        with open(back, "rb") as f:
            same = hashlib.sha256(f.read()).digest() == hashlib.sha256(data).digest()
    digests = b"".join(hashlib.md5(data[i : i + 5 * 1024 * 1024]).digest() for i in range(0, len(data), 5 * 1024 * 1024))
    expected = f'"{hashlib.md5(digests).hexdigest()}-3"'
    return {
        "upload etag": s3.head_object(Bucket=BUCKET, Key="big.bin")["ETag"] == expected,
        "copy etag": s3.head_object(Bucket=BUCKET, Key="big copy+1.bin")["ETag"] == expected,
        "content": same,
    }


@step("presigned GET and PUT")
def _():
    put_url = s3.generate_presigned_url("put_object", Params={"Bucket": BUCKET, "Key": "pre signed+.txt"}, ExpiresIn=300)
    put_status, _ = http("PUT", put_url, b"presigned body")
    get_url = s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "pre signed+.txt"}, ExpiresIn=300)
    get_status, body = http("GET", get_url)
    return [put_status, get_status, body.decode()]


@step("ranges and response overrides")
def _():
    s3.put_object(Bucket=BUCKET, Key="digits.txt", Body=b"0123456789")
    suffix = s3.get_object(Bucket=BUCKET, Key="digits.txt", Range="bytes=-3")
    middle = s3.get_object(Bucket=BUCKET, Key="digits.txt", Range="bytes=2-4")
    typed = s3.get_object(Bucket=BUCKET, Key="digits.txt", ResponseContentType="text/x-test")
    return [
        suffix["Body"].read().decode(),
        suffix["ContentRange"],
        middle["Body"].read().decode(),
        typed["ContentType"],
        error_code(lambda: s3.get_object(Bucket=BUCKET, Key="digits.txt", Range="bytes=20-")),
    ]


@step("conditional requests")
def _():
    etag = s3.head_object(Bucket=BUCKET, Key="digits.txt")["ETag"]

    def put_if_none_match():
        def add(request, **_):
            request.headers["If-None-Match"] = "*"

        s3.meta.events.register_first("before-sign.s3.PutObject", add)
        try:
            s3.put_object(Bucket=BUCKET, Key="digits.txt", Body=b"overwrite")
        finally:
            s3.meta.events.unregister("before-sign.s3.PutObject", add)

    return [
        error_code(lambda: s3.get_object(Bucket=BUCKET, Key="digits.txt", IfMatch=etag)),
        error_code(lambda: s3.get_object(Bucket=BUCKET, Key="digits.txt", IfMatch='"nope"')),
        error_code(lambda: s3.head_object(Bucket=BUCKET, Key="digits.txt", IfNoneMatch=etag)),
        error_code(put_if_none_match),
        s3.get_object(Bucket=BUCKET, Key="digits.txt")["Body"].read().decode(),
    ]


@step("copy_object with odd source keys")
def _():
    s3.copy_object(Bucket=BUCKET, Key="copied.txt", CopySource={"Bucket": BUCKET, "Key": "a&b=c.txt"})
    s3.copy_object(Bucket=BUCKET, Key="copied2.txt", CopySource={"Bucket": BUCKET, "Key": "1+1=2.txt"})
    return [
        s3.get_object(Bucket=BUCKET, Key="copied.txt")["Body"].read().decode(),
        s3.get_object(Bucket=BUCKET, Key="copied2.txt")["Body"].read().decode(),
    ]


@step("delete_objects with numeric keys")
def _():
    for key in ["1", "2", "007"]:
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"n")
    result = s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": k} for k in ["1", "2", "007", "never"]]})
    return sorted(d["Key"] for d in result["Deleted"])


@step("multipart: a missing part, abort, list uploads")
def _():
    upload = s3.create_multipart_upload(Bucket=BUCKET, Key="mp.bin")["UploadId"]
    s3.upload_part(Bucket=BUCKET, Key="mp.bin", UploadId=upload, PartNumber=1, Body=b"x")
    missing = error_code(
        lambda: s3.complete_multipart_upload(
            Bucket=BUCKET, Key="mp.bin", UploadId=upload, MultipartUpload={"Parts": [{"PartNumber": 2, "ETag": '"00"'}]}
        )
    )
    listed = [u["Key"] for u in s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", [])]
    s3.abort_multipart_upload(Bucket=BUCKET, Key="mp.bin", UploadId=upload)
    after = [u["Key"] for u in s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", [])]
    again = error_code(lambda: s3.abort_multipart_upload(Bucket=BUCKET, Key="mp.bin", UploadId=upload))
    return [missing, listed, after, again]


@step("versioning")
def _():
    s3.create_bucket(Bucket="boto-versions")
    s3.put_bucket_versioning(Bucket="boto-versions", VersioningConfiguration={"Status": "Enabled"})
    first = s3.put_object(Bucket="boto-versions", Key="k", Body=b"1")["VersionId"]
    s3.put_object(Bucket="boto-versions", Key="k", Body=b"22")
    marker = s3.delete_object(Bucket="boto-versions", Key="k")
    listed = s3.list_object_versions(Bucket="boto-versions")
    old = s3.get_object(Bucket="boto-versions", Key="k", VersionId=first)["Body"].read().decode()
    gone = error_code(lambda: s3.get_object(Bucket="boto-versions", Key="k"))
    s3.delete_object(Bucket="boto-versions", Key="k", VersionId=marker["VersionId"])
    restored = s3.get_object(Bucket="boto-versions", Key="k")["Body"].read().decode()
    return {
        "status": s3.get_bucket_versioning(Bucket="boto-versions")["Status"],
        "delete marker": marker["DeleteMarker"],
        "versions": [v["Size"] for v in listed["Versions"]],
        "markers": len(listed["DeleteMarkers"]),
        "old": old,
        "after delete": gone,
        "after removing the marker": restored,
    }


def post_form(url, fields, filename, content, content_type="image/png"):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    status, body = http("POST", url, b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    code = body.decode().split("<Code>")[1].split("</Code>")[0] if b"<Code>" in body else ""
    return [status, code]


@step("presigned POST")
def _():
    def presign(key="uploads/${filename}", expires=300):
        return s3.generate_presigned_post(
            BUCKET,
            key,
            Fields={"Content-Type": "image/png"},
            Conditions=[["content-length-range", 1, 10], ["starts-with", "$key", "uploads/"], {"Content-Type": "image/png"}],
            ExpiresIn=expires,
        )

    good = presign()
    ok = post_form(good["url"], good["fields"], "pic.png", b"12345")
    stored = s3.head_object(Bucket=BUCKET, Key="uploads/pic.png")
    too_big = post_form(good["url"], good["fields"], "big.png", b"x" * 11)
    other_type = post_form(good["url"], {**good["fields"], "Content-Type": "text/html"}, "pic.png", b"12345")
    other_key = post_form(good["url"], {**good["fields"], "key": "elsewhere/pic.png"}, "pic.png", b"12345")
    expired = presign(expires=-10)
    late = post_form(expired["url"], expired["fields"], "pic.png", b"12345")
    # Signature V4 over the policy, with a function's credentials, which the local stack knows.
    v4 = client("imgpipe-resize", "local", signature_version="s3v4")
    signed = v4.generate_presigned_post(
        BUCKET,
        "v4/${filename}",
        Fields={"success_action_status": "201"},
        Conditions=[{"success_action_status": "201"}],
        ExpiresIn=300,
    )
    v4_ok = post_form(signed["url"], signed["fields"], "v4.png", b"v4")
    forged = {**signed["fields"], "x-amz-signature": "0" * 64}
    v4_forged = post_form(signed["url"], forged, "v4.png", b"v4")
    return {
        "ok": ok,
        "stored": [stored["ContentLength"], stored["ContentType"]],
        "too big": too_big,
        "other type": other_type,
        "other key": other_key,
        "expired": late,
        "v4 signed": v4_ok,
        "v4 forged": v4_forged,
        "v4 stored": s3.get_object(Bucket=BUCKET, Key="v4/v4.png")["Body"].read().decode(),
    }


@step("delete_bucket of a non-empty bucket")
def _():
    return error_code(lambda: s3.delete_bucket(Bucket=BUCKET))


print(json.dumps(out, ensure_ascii=False))
