import { CALL_KINDS, callNode, callPlace, reportCallFindings } from '../../calls/report-findings';
import { defineRule } from '../rule';

export default defineRule({
  code: 'service-reference-not-found', severity: 'warning', kinds: CALL_KINDS, simulates: true,
  title: 'A service address in the configuration names no Service',
  why: 'The container resolves the name with its DNS search list; no Service answers, so the call fails (unless the Service is applied from elsewhere)',
  example: '`ORDERS_URL=http://orders:8080` in namespace `web`, Service `orders` in namespace `shop`',
  fix: 'Use the name that resolves from the caller (`orders.shop` for another namespace), or add the Service',
  checks: {
    cluster(ctx, report) {
      reportCallFindings(ctx, report, 'service-reference-not-found', (f, report) => {
        const { call } = f;
        const s = call.suggestion;
        const [first, ns] = s ? s.split('.') : [];
        const hint = !s ? '' : ns && first === call.address.host.split('.')[0]
          ? ` Service \`${first}\` exists in namespace \`${ns}\`: use \`${s}\`.`
          : ` Did you mean \`${s}\`?`;
        const o = call.at.obj;
        const fix = s && call.at.start !== undefined
          ? { fixes: [{ title: `Change to \`${s}\``, edits: [{ uri: o.uri, range: o.src.nodeRange({ range: [call.at.start, call.at.start + call.address.host.length, call.at.start + call.address.host.length] } as never), newText: s }] }] }
          : {};
        report.at(o, callNode(call), `\`${call.address.host}\` in ${callPlace(call)} resolves to no Service from namespace \`${call.from.namespace}\`.${hint}`, fix);
      });
    },
  },
});
