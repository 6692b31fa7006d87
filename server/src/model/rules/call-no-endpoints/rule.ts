import { CALL_KINDS, callNode, callPlace, reportCallFindings } from '../../calls/report-findings';
import { defineRule } from '../rule';

export default defineRule({
  code: 'call-no-endpoints', severity: 'warning', kinds: CALL_KINDS, simulates: true,
  title: 'A call the configuration declares goes to a Service with no endpoints',
  why: 'The name resolves and the port is right, but no pod backs the Service, so every connection is refused',
  example: '`CART_ADDR=cart:8080` to a Service whose selector matches no pod',
  fix: 'Fix the Service\'s selector (see its own finding), or deploy what it should select',
  checks: {
    cluster(ctx, report) {
      reportCallFindings(ctx, report, 'call-no-endpoints', (f, report) => {
        const { call, result } = f;
        const target = `${call.address.host}${call.address.port !== null ? `:${call.address.port}` : ''}`;
        report.at(call.at.obj, callNode(call), `${callPlace(call)} calls \`${target}\`, but ${result!.error!.message}`);
      });
    },
  },
});
