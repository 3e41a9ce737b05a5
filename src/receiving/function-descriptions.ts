/** A `ReceivedClusterSnapshots` function's construct id. */
export type ReceiverFunctionName = 'ReceiveEvent' | 'ScanSharedSnapshots' | 'CopySharedSnapshot' | 'CheckCopy' | 'RetainCopies';

/** What each function does, as its Lambda description shows it in the console (at most 256 characters). */
export const RECEIVER_FUNCTION_DESCRIPTIONS: Readonly<Record<ReceiverFunctionName, string>> = {
  ReceiveEvent: 'ReceivedClusterSnapshots: checks a Cluster Snapshot Shared event from a source account and starts its copy',
  ScanSharedSnapshots: 'ReceivedClusterSnapshots: lists the snapshots shared with this account, starts the missing copies and publishes freshness (catch-up scan)',
  CopySharedSnapshot: 'ReceivedClusterSnapshots: copies a shared snapshot under this account\'s key (CopySharedSnapshot step)',
  CheckCopy: 'ReceivedClusterSnapshots: checks whether the copy is available (CheckCopy step)',
  RetainCopies: 'ReceivedClusterSnapshots: deletes this instance\'s copies of the source database beyond retainCopies (RetainCopies step)',
};
