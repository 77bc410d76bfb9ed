import { describeErrorCode, errorInfo } from "@/lib/errors";

type ErrorNoticeProps = {
  error: unknown;
  /** What failed, e.g. "Could not load users". */
  title?: string;
  onRetry?: () => void;
};

/**
 * An error shown in place of the content it broke, in sentences: what failed, what the server said,
 * and what the code means. The code itself follows as a small reference to quote to support.
 */
export function ErrorNotice({ error, title = "Something went wrong", onRetry }: ErrorNoticeProps) {
  const { code, message } = errorInfo(error);
  const meaning = describeErrorCode(code);
  return (
    <div className="notice notice-error" role="alert" data-error-code={code}>
      <p className="notice-title">{title}</p>
      <p>{message}</p>
      {meaning !== null && meaning !== message && <p>{meaning}</p>}
      <p className="notice-code">
        Error code <code>{code}</code>
      </p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
