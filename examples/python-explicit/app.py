#!/usr/bin/env python3
"""SharedClusterSnapshots with explicit clusters and a schedule in a time zone.

The same app as ../typescript-explicit/bin/app.ts, in Python.
"""
import os

from aws_cdk import App, Duration, Environment, Stack, TimeZone
from aws_cdk.aws_scheduler import ScheduleExpression
from cdk_shared_cluster_snapshots import SharedClusterSnapshots

app = App()
stack = Stack(app, "SharedSnapshots",
    env=Environment(
        account=os.environ.get("CDK_DEFAULT_ACCOUNT", "111111111111"),
        region=os.environ.get("CDK_DEFAULT_REGION", "eu-west-1"),
    ),
)

SharedClusterSnapshots(stack, "Snapshots",
    cluster_identifiers=["orders-db", "billing-db"],
    target_account_ids=["222222222222"],
    schedule=ScheduleExpression.cron(hour="3", minute="0", time_zone=TimeZone.EUROPE_BERLIN),
    wait_interval=Duration.minutes(1),
    snapshot_timeout=Duration.hours(6),
    retain_snapshots=2,
)

app.synth()
