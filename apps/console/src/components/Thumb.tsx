import { useState } from 'preact/hooks';
import { isHexColour } from '../lib/format';
import { placeholderDataUrl } from '../lib/placeholder';

/**
 * An image painted first with the row's dominant colour and ThumbHash placeholder, then the real variant
 * once it has loaded.
 */
export function Thumb(props: {
  src: string | undefined;
  alt: string;
  placeholder: string | undefined;
  dominantColor: string | undefined;
  width?: number | undefined;
  height?: number | undefined;
  class?: string;
}): preact.JSX.Element {
  const [state, setState] = useState<'loading' | 'loaded' | 'error'>('loading');
  const placeholder = placeholderDataUrl(props.placeholder);
  const style: Record<string, string> = {};
  if (isHexColour(props.dominantColor)) style['backgroundColor'] = props.dominantColor;
  if (placeholder && state !== 'loaded') style['backgroundImage'] = `url(${placeholder})`;
  return (
    <div
      class={`thumb ${props.class ?? ''}`}
      style={style}
      data-state={props.src ? state : 'none'}
      data-placeholder={placeholder ? 'yes' : 'no'}
    >
      {props.src ? (
        <img
          src={props.src}
          alt={props.alt}
          loading="lazy"
          decoding="async"
          width={props.width}
          height={props.height}
          onLoad={() => setState('loaded')}
          onError={() => setState('error')}
        />
      ) : null}
    </div>
  );
}
