// asl-validator 4 ships JavaScript only; this is the part of its API the infra tests use.
declare module 'asl-validator' {
  interface ValidationOptions {
    readonly checkPaths: boolean;
    readonly checkArn: boolean;
  }
  interface StateMachineError {
    readonly 'Error code': string;
    readonly Message: string;
  }
  interface ValidationResult {
    readonly isValid: boolean;
    readonly errors: ReadonlyArray<StateMachineError | { readonly message?: string }>;
    errorsText(separator?: string): string;
  }
  /** Note: it adds a QueryLanguage field to every state of the definition it is given. */
  function aslValidator(definition: object, options?: ValidationOptions): ValidationResult;
  export default aslValidator;
}
