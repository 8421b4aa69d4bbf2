/** A status as text plus colour (never colour alone). */
export function StatusBadge(props: { status: string }): preact.JSX.Element {
  return (
    <span class={`badge badge-${props.status}`} data-status={props.status}>
      {props.status}
    </span>
  );
}
