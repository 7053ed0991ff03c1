/** A Temporal server could not be provisioned; the message says what to install or what failed. */
export class ProvisioningError extends Error {
  override readonly name = 'ProvisioningError';
}
