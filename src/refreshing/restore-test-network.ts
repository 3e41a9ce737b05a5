import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { RefreshedDatabaseProps } from './props';
import type { HandlerFunctionSettings } from '../shared/function-options';

/** The engines' default ports, when `port` is not given: the copy's engine is known only at run time. */
const DEFAULT_PORTS = [5432, 3306];

/**
 * A restore test's built-in check connects from the functions to the database's port: when this
 * construct created the functions' security group, it may leave on that port, and each database
 * security group lets it in. With your own `securityGroups`, allow that yourself.
 */
export function allowConnections(settings: HandlerFunctionSettings, props: RefreshedDatabaseProps): void {
  const group = settings.securityGroup;
  if (!group || !props.vpc) return;
  for (const port of props.port ? [props.port] : DEFAULT_PORTS) {
    for (const database of props.databaseSecurityGroups) {
      group.addEgressRule(database, ec2.Port.tcp(port), 'RefreshedDatabase restore test: connect to the restored database');
      database.addIngressRule(group, ec2.Port.tcp(port), 'RefreshedDatabase restore test functions');
    }
  }
}
