// Keeps a crashing plugin component from taking the page down, and says which one crashed.
import React from 'react';

interface Props {
  name: string;
  children?: React.ReactNode;
}

export class PluginBoundary extends React.Component<Props, {error: string | null}> {
  override state = {error: null as string | null};

  static getDerivedStateFromError(err: unknown): {error: string} {
    return {error: err instanceof Error ? err.message : String(err)};
  }

  override render() {
    if (this.state.error) {
      return (
        <div className='preview-error' role='alert'>
          {`${this.props.name} crashed: ${this.state.error}`}
        </div>
      );
    }
    return this.props.children;
  }
}
