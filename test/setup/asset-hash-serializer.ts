// Scrubs asset hashes from template snapshots, so a handler change does not churn every snapshot.
const ASSET_HASH = /[0-9a-f]{64}(\.zip|\.json)?/;

module.exports = {
  test: (value: unknown) => typeof value === 'string' && ASSET_HASH.test(value),
  serialize: (value: string) => JSON.stringify(value.replace(new RegExp(ASSET_HASH, 'g'), 'ASSET-HASH$1')),
};
