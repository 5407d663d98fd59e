// Keeps a failing part (a chunk that did not load, a render error) from taking the host page down.
import {Component, type ReactNode} from 'react';

export class ErrorBoundary extends Component<{fallback: ReactNode; children: ReactNode}, {failed: boolean}> {
  override state = {failed: false};

  static getDerivedStateFromError(): {failed: boolean} {
    return {failed: true};
  }

  override componentDidCatch(error: unknown): void {
    console.error('[healthcheck] a part of the plugin failed to render', error);
  }

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}
