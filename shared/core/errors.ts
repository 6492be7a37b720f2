/** A mistake in what the user gave us (an input, a file). Reported without a stack trace. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
  constructor(
    message: string,
    /** Where the mistake is, so the failure can be annotated on the user's file. */
    readonly location?: {
      input?: string;
      /** The line inside the input's (multi-line) value, e.g. of a YAML mistake. */
      inputLine?: number;
      file?: string;
      line?: number;
      column?: number;
    },
  ) {
    super(message);
  }
}

/** Thrown by an input's parser; the message completes "Input 'x' …". */
export class InvalidValue extends Error {}

/** The job was cancelled (SIGINT/SIGTERM from the runner). */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor(readonly signalName = 'SIGTERM') {
    super(`cancelled (${signalName})`);
  }
}

/** A wait ran past its deadline. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error && !error.message.includes(cause.message) ? `: ${cause.message}` : '';
    return `${error.message}${detail}`;
  }
  return String(error);
}
