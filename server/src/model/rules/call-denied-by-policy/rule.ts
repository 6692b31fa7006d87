import { CALL_KINDS, callNode, callPlace, reportCallFindings } from '../../calls/report-findings';
import { defineRule } from '../rule';

export default defineRule({
  code: 'call-denied-by-policy', severity: 'error', kinds: CALL_KINDS, simulates: true,
  title: 'A NetworkPolicy denies a call the configuration declares',
  why: 'The manifests say the container calls this Service, and the NetworkPolicies at the caller\'s egress (or its DNS lookup) or at the pods\' ingress refuse it: the call fails when deployed',
  example: '`SPRING_DATA_MONGODB_URI=mongodb://carts-db:27017/data`, while the policy on `carts-db` admits only `name: cart` and the pods are `name: carts`',
  fix: 'Change the policy that refuses it (the finding names it and the rule to change), or the address',
  checks: {
    cluster(ctx, report) {
      reportCallFindings(ctx, report, 'call-denied-by-policy', (f, report) => {
        const { call, result } = f;
        const target = `${call.address.host}${call.address.port !== null ? `:${call.address.port}` : ''}`;
        report.at(call.at.obj, callNode(call), `${callPlace(call)} calls \`${target}\`, and a NetworkPolicy refuses it: ${result!.error!.message}${result!.error!.hint ? ` ${result!.error!.hint}` : ''}`);
      });
    },
  },
});
