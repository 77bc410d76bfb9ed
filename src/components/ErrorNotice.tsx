import { errorInfo } from "../lib/errors";

type ErrorNoticeProps = {
  error: unknown;
  /** What failed, e.g. "Could not load users". */
  title?: string;
  onRetry?: () => void;
};

/** An error shown in place of the content it broke, with the server's code. */
export function ErrorNotice({ error, title = "Something went wrong", onRetry }: ErrorNoticeProps) {
  const { code, message } = errorInfo(error);
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">
        {title} <code className="error-code">{code}</code>
      </p>
      <p>{message}</p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
