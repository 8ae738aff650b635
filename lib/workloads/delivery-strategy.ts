// IDeliveryStrategy is declared beside HardenedService (it binds to one); this module keeps the import path.
export type { IDeliveryStrategy } from './hardened-service';
