import { RDSClient } from '@aws-sdk/client-rds';
import { SFNClient } from '@aws-sdk/client-sfn';

// One client per container, reused across invocations. The SDK's standard retry mode already
// backs off on throttling; the state machine retries what outlasts it.
export const rds = new RDSClient({});
export const sfn = new SFNClient({});
