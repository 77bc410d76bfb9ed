import type { ReactNode } from "react";
import { useDocumentTitle } from "@/lib/useDocumentTitle";
import { ErrorBoundary } from "./ErrorBoundary";

type PageProps = {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
  /** Alerts firing now, shown in the tab's title on the pages that watch them. */
  firing?: number;
};

/** A page heading, the tab's title, and an error boundary, so a failing page still shows where you are. */
export function Page({ title, description, actions, children, firing }: PageProps) {
  useDocumentTitle(title, firing);
  return (
    <article className="page">
      <div className="page-header">
        <div>
          <h1>{title}</h1>
          {description && <p className="page-description">{description}</p>}
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
      <ErrorBoundary title={`Could not show ${title}`}>{children}</ErrorBoundary>
    </article>
  );
}
