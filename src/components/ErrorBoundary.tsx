import { Component, type ErrorInfo, type ReactNode } from "react";
import { ErrorNotice } from "./ErrorNotice";

type ErrorBoundaryProps = {
  children: ReactNode;
  title?: string;
  /** Replaces the default notice, e.g. to offer signing out. */
  fallback?: (error: unknown, reset: () => void) => ReactNode;
};

type ErrorBoundaryState = { error: unknown; hasError: boolean };

/** Keeps a failing query or render from blanking more than its own part of the page. */
export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { error: null, hasError: false };

  static getDerivedStateFromError(error: unknown): ErrorBoundaryState {
    return { error, hasError: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(error, info.componentStack);
  }

  reset = () => {
    this.setState({ error: null, hasError: false });
  };

  override render() {
    if (!this.state.hasError) {
      return this.props.children;
    }
    if (this.props.fallback) {
      return this.props.fallback(this.state.error, this.reset);
    }
    return <ErrorNotice error={this.state.error} title={this.props.title} onRetry={this.reset} />;
  }
}
