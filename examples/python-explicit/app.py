#!/usr/bin/env python3
"""SharedClusterSnapshots for a mixed fleet: Aurora clusters and RDS DB instances.

The clusters and the schedule of ../typescript-explicit/bin/app.ts, in Python, with DB instances
beside them: two by id, the rest found by tag at each run, each shared from its newest automated
snapshot when that is at most 6 hours old (one copy, no new snapshot).
"""
import os

from aws_cdk import App, Duration, Environment, Stack, TimeZone
from aws_cdk.aws_scheduler import ScheduleExpression
from cdk_shared_cluster_snapshots import ClusterTag, SharedClusterSnapshots, SnapshotSource

app = App()
stack = Stack(app, "SharedSnapshots",
    env=Environment(
        account=os.environ.get("CDK_DEFAULT_ACCOUNT", "111111111111"),
        region=os.environ.get("CDK_DEFAULT_REGION", "eu-west-1"),
    ),
)

SharedClusterSnapshots(stack, "Snapshots",
    cluster_identifiers=["orders-db", "billing-db"],
    instance_identifiers=["payments-pg", "ledger-mysql"],
    instance_tag=ClusterTag(key="share-snapshots", value="true"),
    snapshot_source=SnapshotSource.newest_automated_snapshot(Duration.hours(6)),
    target_account_ids=["222222222222"],
    schedule=ScheduleExpression.cron(hour="3", minute="0", time_zone=TimeZone.EUROPE_BERLIN),
    wait_interval=Duration.minutes(1),
    snapshot_timeout=Duration.hours(6),
    retain_snapshots=2,
)

app.synth()
