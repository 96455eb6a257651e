/** Text read out by screen readers when it changes, and not shown. */
export function LiveRegion({
  message,
  politeness = 'polite',
}: {
  message: string;
  politeness?: 'polite' | 'assertive';
}) {
  return (
    <div className="visually-hidden" aria-live={politeness} aria-atomic="true">
      {message}
    </div>
  );
}
