/**
 * A digest as OCI image-spec descriptor.md registers it: sha256 with 64, sha512 with 128 lowercase hex characters.
 *
 * @internal
 */
export const DIGEST_PATTERN = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

/**
 * Environment variable names that suggest a credential (SEC-9): such a variable must not carry a literal value.
 *
 * @internal
 */
export const SECRET_ENV_NAME_PATTERN = /(PASS|SECRET|TOKEN|KEY|CREDENTIAL|AUTH)/i;
