/**
 * FastAPI's HTTPException as AUTOMATIC1111's `api_middleware` answers it: any status,
 * body `{"error", "detail", "body", "errors"}`, and the exception's own headers dropped.
 */
export class HttpException extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }

  body(): unknown {
    return {
      error: 'HTTPException',
      detail: this.detail,
      body: '',
      errors: `${this.status}: ${this.detail}`,
    };
  }
}

/** FastAPI's RequestValidationError: a 422 that the middleware leaves alone. */
export class ValidationFailure extends HttpException {
  constructor(readonly issues: unknown[]) {
    super(422, 'validation');
  }

  override body(): unknown {
    return { detail: this.issues };
  }
}
