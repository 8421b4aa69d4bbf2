/** What the storage answered to a form POST. */
export interface FormPostAnswer {
  readonly status: number;
  readonly body: string;
}

/** Bytes of the request body sent so far, of `total`. */
export type OnSent = (sent: number, total: number) => void;

/** Sends a `multipart/form-data` POST; resolves with any HTTP answer, rejects only when none came. */
export type FormPost = (url: string, form: FormData, onSent?: OnSent) => Promise<FormPostAnswer>;

/**
 * A form POST through `XMLHttpRequest`, the one browser API that reports upload progress (`fetch` does not
 * for request bodies).
 */
export const xhrFormPost: FormPost = (url, form, onSent) =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    if (onSent) xhr.upload.onprogress = (e) => onSent(e.loaded, e.lengthComputable ? e.total : 0);
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
    xhr.onerror = () => reject(new Error(`No answer from ${url}`));
    xhr.onabort = () => reject(new Error(`The upload to ${url} was aborted`));
    xhr.send(form);
  });

/** A form POST through `fetch` (no progress until the answer): for runtimes without `XMLHttpRequest`. */
export function fetchFormPost(fetchImpl: (url: string, init?: RequestInit) => Promise<Response>): FormPost {
  return async (url, form) => {
    const res = await fetchImpl(url, { method: 'POST', body: form });
    return { status: res.status, body: await res.text().catch(() => '') };
  };
}

/** S3's `<Error><Code>…</Code><Message>…</Message></Error>`, when the body is one. */
export function s3Error(body: string): { readonly code: string; readonly message: string } | undefined {
  const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
  if (!code) return undefined;
  return { code, message: /<Message>([^<]*)<\/Message>/.exec(body)?.[1] ?? '' };
}
