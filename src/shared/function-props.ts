import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * The network, architecture and memory of every function of a construct: the same props, with the
 * same defaults and rules, on `SharedClusterSnapshots` and `ReceivedClusterSnapshots`.
 */
export interface HandlerFunctionProps {
  /**
   * The VPC to run every function of this construct in. Give one where the account's rules require
   * functions to run in a VPC. The functions only call AWS APIs: their subnets need a NAT gateway or
   * interface VPC endpoints for the services they call (the README lists them for each construct,
   * under "Running the functions in a VPC" and "In the target account"). Their roles are given the
   * network-interface permissions Lambda needs in a VPC.
   *
   * @default - the functions do not run in a VPC
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The subnets of `vpc` to place the functions in, which require `vpc`. Choose the subnets whose routes
   * reach the VPC endpoints or a NAT gateway. Lambda refuses public subnets (its functions get no
   * public IP address).
   *
   * @default - the VPC's private subnets (CDK's default subnet selection)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The security groups of the functions, which require `vpc`. Give your own when traffic must leave on
   * other ports than HTTPS (e.g. through a proxy), or to name the group in your endpoints' rules.
   *
   * @default - one security group for all the functions, allowing outbound HTTPS (TCP 443) only and no inbound traffic
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The instruction set every function runs on. The handlers are plain JavaScript and run on both;
   * arm64 costs less per GB-second. Change it to `lambda.Architecture.X86_64` where an organization
   * policy allows only x86_64, or in a Region without arm64 Lambda functions.
   *
   * @default lambda.Architecture.ARM_64
   */
  readonly architecture?: lambda.Architecture;

  /**
   * The memory of every function, in MB (128 to 10,240). The handlers mostly wait on AWS API calls,
   * so more memory rarely helps; raise it if a function that lists a whole fleet (the source's
   * starter, the receiver's catch-up scan) runs close to its timeout. Lambda gives CPU in
   * proportion to memory.
   *
   * @default 256
   */
  readonly memorySize?: number;
}
