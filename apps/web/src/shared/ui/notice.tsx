import type { ReactNode } from 'react';

export interface NoticeProps {
  tone: 'info' | 'success' | 'warning' | 'error';
  title?: string;
  children?: ReactNode;
  /** Read out at once when it appears (an error the person must act on). */
  urgent?: boolean;
}

/** A boxed message: what happened, and what to do now. */
export function Notice({ tone, title, children, urgent = false }: NoticeProps) {
  return (
    <div className={`notice notice--${tone}`} role={urgent ? 'alert' : 'status'}>
      {title ? <p className="notice__title">{title}</p> : null}
      {children}
    </div>
  );
}
