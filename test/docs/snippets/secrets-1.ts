import { ConfigFiles } from '../../../lib';

export const checkoutConfig = ConfigFiles.of({
  files: { 'checkout.json': { currency: 'EUR' } },
  env: { PAYMENT_MERCHANT_ID: 'acme-eu-4711' },
  sensitive: ['PAYMENT_MERCHANT_ID'],
});
