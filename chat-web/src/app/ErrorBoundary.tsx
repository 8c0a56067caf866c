import { Component, type ReactNode } from 'react';

interface Props {
  /** Named in the fallback: "Something went wrong in <area>." */
  area: string;
  children: ReactNode;
  /** When this changes (another room opened, a new search), a failed area tries its children again. */
  resetKey?: unknown;
  /** Puts the fallback in the area's own frame, so it keeps its place in the layout. */
  frame?: (fallback: ReactNode) => ReactNode;
  /** Offers "Close" next to "Retry", for an area that can be put away (the search results). */
  onClose?: () => void;
}

interface State {
  failed: boolean;
  resetKey: unknown;
}

/**
 * Keeps a render error inside one area of the screen: the area shows "Something went wrong in
 * <area>." with Retry (render the children again), the rest of the app goes on. React logs the
 * error to the console.
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { failed: false, resetKey: this.props.resetKey };

  static getDerivedStateFromError(): Partial<State> {
    return { failed: true };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return Object.is(props.resetKey, state.resetKey) ? null : { failed: false, resetKey: props.resetKey };
  }

  private readonly retry = () => this.setState({ failed: false });

  override render(): ReactNode {
    const { area, children, frame, onClose } = this.props;
    if (!this.state.failed) return children;
    const fallback = (
      <div className="area-error" role="alert" data-testid="area-error" data-area={area}>
        <p>Something went wrong in {area}.</p>
        <div className="area-error-actions">
          <button type="button" className="primary small" onClick={this.retry}>
            Retry
          </button>
          {onClose ? (
            <button type="button" className="small" onClick={onClose}>
              Close
            </button>
          ) : null}
        </div>
      </div>
    );
    return frame ? frame(fallback) : fallback;
  }
}
