import { credentialInValue, isSecretName, plaintextSecretProblem } from '../../src/core/secret-detection';

describe('SEC-9: names that denote secret values', () => {
  test.each(['HF_TOKEN', 'DB_PASSWORD', 'AWS_SECRET_ACCESS_KEY', 'OPENAI_API_KEY', 'APIKEY', 'GITHUB_TOKEN', 'CLIENT_SECRET',
    'SERVICE_CREDENTIALS', 'PRIVATE_KEY', 'MLFLOW_TRACKING_PASSWORD', 'db.password', 'AUTH_TOKEN', 'WANDB_API_KEY'])('%s is a secret name', (name) => {
    expect(isSecretName(name)).toBe(true);
  });
  test.each(['TOKENIZER_NAME', 'TOKENIZER_PARALLELISM', 'MAX_INPUT_TOKENS', 'MAX_TOTAL_TOKENS', 'PASS_DEVICE_SPECS', 'SECRET_NAME',
    'DB_PASSWORD_FILE', 'HF_TOKEN_PATH', 'SECRET_ARN', 'KEY_ID', 'MODEL_NAME', 'CUDA_VISIBLE_DEVICES', 'PUBLIC_KEY_PATH', 'AUTH_URL',
    'NUM_TOKENS', 'PASSAGE_LENGTH', 'KEYCLOAK_REALM', ''])('%s is not a secret name', (name) => {
    expect(isSecretName(name)).toBe(false);
  });
});

describe('SEC-9: values that look like credentials', () => {
  test.each([
    ['postgresql://mlflow:s3cr3t@db:5432/mlflow', /user:password/],
    ['host=db password=hunter2 user=x', /password=/],
    ['AKIAIOSFODNN7EXAMPLE', /AWS access key/],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIE', /PEM/],
    ['Bearer abcdefghijklmnop', /authorization/],
    ['hf_' + 'a'.repeat(34), /Hugging Face/],
  ])('%s', (value, what) => {
    expect(credentialInValue(value)).toMatch(what);
  });
  test.each(['https://huggingface.co/meta-llama', 'postgresql://db:5432/mlflow', 'true', '8080', 'meta-llama/Llama-3-8B'])('%s is no credential', (value) => {
    expect(credentialInValue(value)).toBeUndefined();
  });
});

describe('SEC-9: a literal variable', () => {
  test('a credential in the value counts whatever the name', () => {
    expect(plaintextSecretProblem('MLFLOW_TRACKING_URI', 'http://u:p@mlflow:5000')).toMatch(/URL with user:password@/);
  });
  test('a secret name with a literal value counts, an empty value does not', () => {
    expect(plaintextSecretProblem('HF_TOKEN', 'abc')).toMatch(/name denotes a secret/);
    expect(plaintextSecretProblem('HF_TOKEN', '')).toBeUndefined();
    expect(plaintextSecretProblem('MAX_INPUT_TOKENS', '4096')).toBeUndefined();
  });
});
