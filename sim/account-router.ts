import { RDSClient } from '@aws-sdk/client-rds';
import { SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { ACCOUNT, callContext } from './aws-env';
import { clientRegion } from './rds-regions';

/** A fake service of one account: how it serves each SDK command, in the calling client's Region (undefined: home). */
export interface AccountService {
  readonly routes: ReadonlyMap<any, (input: any, region?: string) => Promise<unknown>>;
}

/**
 * Several accounts in one process: the handlers' SDK clients are mocked once (aws-sdk-client-mock
 * replaces any earlier stub of `send`), and each call goes to the fake of the account the calling
 * function runs in (`callContext`), as the function's credentials would take it there.
 */
export class AccountRouter {
  private readonly rdsMock = mockClient(RDSClient);
  private readonly sfnMock = mockClient(SFNClient);
  private readonly rds = new Map<string, AccountService>();
  private readonly sfn = new Map<string, AccountService>();

  public addRds(account: string, service: AccountService): void {
    this.add(this.rds, this.rdsMock, account, service);
  }

  public addStepFunctions(account: string, service: AccountService): void {
    this.add(this.sfn, this.sfnMock, account, service);
  }

  /** Forgets the SDK calls the mocks recorded (sinon keeps every one): a long simulation would fill the memory. */
  public resetHistory(): void {
    this.rdsMock.resetHistory();
    this.sfnMock.resetHistory();
  }

  public restore(): void {
    this.rdsMock.restore();
    this.sfnMock.restore();
  }

  private add(services: Map<string, AccountService>, mock: ReturnType<typeof mockClient>, account: string, service: AccountService): void {
    const first = services.size === 0;
    services.set(account, service);
    if (!first) return;
    for (const command of service.routes.keys()) {
      mock.on(command).callsFake(async (input: unknown, getClient: any) => {
        const caller = callContext.getStore()?.account ?? ACCOUNT;
        const target = services.get(caller);
        if (!target) throw new Error(`No simulated service for account ${caller}`);
        return target.routes.get(command)!(input, await clientRegion(getClient));
      });
    }
  }
}
