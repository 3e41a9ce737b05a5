/** A `ReceivedClusterSnapshots` function's construct id. */
export type ReceiverFunctionName = 'ReceiveEvent' | 'ScanSharedSnapshots' | 'CopySharedSnapshot' | 'CheckCopy' | 'RetainCopies'
  | 'StartReplicas' | 'CopyReplica' | 'CheckReplica' | 'RetainReplicas';

/** What each function does, as its Lambda description shows it in the console (at most 256 characters). */
export const RECEIVER_FUNCTION_DESCRIPTIONS: Readonly<Record<ReceiverFunctionName, string>> = {
  ReceiveEvent: 'ReceivedClusterSnapshots: checks a Cluster Snapshot Shared event from a source account and starts its copy',
  ScanSharedSnapshots: 'ReceivedClusterSnapshots: lists the snapshots shared with this account, starts the missing copies and publishes freshness (catch-up scan)',
  CopySharedSnapshot: 'ReceivedClusterSnapshots: copies a shared snapshot under this account\'s key (CopySharedSnapshot step)',
  CheckCopy: 'ReceivedClusterSnapshots: checks whether the copy is available (CheckCopy step)',
  RetainCopies: 'ReceivedClusterSnapshots: deletes this instance\'s copies of the source database beyond retainCopies (RetainCopies step)',
  StartReplicas: 'ReceivedClusterSnapshots: starts one replica execution per replica Region once a copy is kept (StartReplicas step)',
  CopyReplica: 'ReceivedClusterSnapshots: copies a copy into a replica Region under that Region\'s key (CopyReplica step)',
  CheckReplica: 'ReceivedClusterSnapshots: checks whether the replica is available in its Region (CheckReplica step)',
  RetainReplicas: 'ReceivedClusterSnapshots: deletes this instance\'s replicas in a Region beyond that Region\'s retainCopies (RetainReplicas step)',
};
