import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { ReceivedClusterSnapshots, ReceivedClusterSnapshotsProps } from '../../src';

// The receiver reads its scan schedule with the same code as the source (src/shared/schedule-gaps.ts):
// a cron expression's longest interval, where its firings are known, sizes the freshness alarm's window.

function synth(props: Partial<ReceivedClusterSnapshotsProps>): Template {
  const stack = new Stack(new App(), 'Target', { env: { account: '222222222222', region: 'eu-west-1' } });
  new ReceivedClusterSnapshots(stack, 'Received', { sourceAccountIds: ['111111111111'], ...props });
  return Template.fromStack(stack);
}

test('a weekly cron scan is refused like a weekly rate, with how far apart it fires', () => {
  expect(() => synth({ schedule: ScheduleExpression.cron({ minute: '0', hour: '4', weekDay: 'MON' }) })).toThrow(
    /schedule must run the scan at least every 144 hours \(the freshness alarm evaluates at most 7 days\), got 'cron\(0 4 \? \* MON \*\)' \(up to 7 days apart\)/,
  );
});

test.each<[string, ScheduleExpression, number]>([
  ['a weekday cron: Friday to Monday is 72 hours', ScheduleExpression.cron({ minute: '0', hour: '4', weekDay: 'MON-FRI' }), 73],
  ['every 6 hours by cron', ScheduleExpression.cron({ minute: '0', hour: '0/6' }), 7],
  ['a cron whose days are not expanded (the last day of the month): assumed daily', ScheduleExpression.expression('cron(0 4 L * ? *)'), 25],
])('the alarm window follows a cron scan: %s', (_, schedule, periods) => {
  synth({ schedule, maxCopyAge: Duration.hours(80) }).hasResourceProperties('AWS::CloudWatch::Alarm', { EvaluationPeriods: periods, DatapointsToAlarm: periods });
});
