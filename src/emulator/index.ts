export { startEmulator, EMULATOR_API_VERSION, EMULATOR_TEST_KEY, EMULATOR_LIVE_KEY } from './server.js';
export { generateDataset, defaultAnchor, CURRENCY_DECIMALS } from './dataset/index.js';
export { seed, seededDataset, planOf, cardDetails, SEED_EPOCH } from './seed.js';
export type { PriceSeed, DiscountSeed, SubscriptionSeed, SubscriptionItemSeed, InvoiceSeed, InvoiceLineSeed, PaymentIntentSeed, ChargeSeed, RefundSeed, DisputeSeed, CardSeed } from './seed.js';
export { formatEmulatorBanner } from './banner.js';
export { EMULATOR_PERMISSIONS } from './permissions.js';
export { parseSearchQuery, compileSearch, SearchQueryError, SearchFieldError } from './search-query.js';
export type { SearchQuery, SearchClause, SearchOperator } from './search-query.js';
export { DEFAULT_DATASET_SIZE } from './types.js';
export type {
  Dataset,
  DatasetSize,
  EmulatorHandle,
  EmulatorKeySpec,
  EmulatorOptions,
  FaultSpec,
  Mode,
  RecordedRequest,
  SeedCollectionName,
  SeedData,
} from './types.js';
