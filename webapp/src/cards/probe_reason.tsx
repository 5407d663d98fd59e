// Why a probe failed: each failed check with what was observed and what was expected.
import type {Check} from '@contract';
import {useT} from '../i18n/use_t';
import {mutedText} from '../styles';

interface Reason {
  key: string;
  text: string;
  muted: boolean;
}

/** `probe`: the name shown just before, so a check labelled with it is not named twice. */
export function ProbeReason({probe, checks, error}: {probe: string; checks: readonly Check[]; error?: string}) {
  const t = useT();
  const failed = checks.filter((c) => !c.ok);
  const reasons: Reason[] = failed.map((c, i) => {
    const why = t('reason.observedExpected', {observed: c.observed, expected: c.expected});
    return {key: `${c.label}-${i}`, text: c.label && c.label !== probe ? `${c.label}: ${why}` : why, muted: false};
  });
  if (reasons.length === 0 && error) reasons.push({key: 'error', text: error, muted: true});
  const [only] = reasons;
  if (!only) return null;
  // One reason reads as a line under the probe; a bullet list only when there are several.
  if (reasons.length === 1) return <div style={{margin: '2px 0 0', ...(only.muted ? mutedText : {})}}>{only.text}</div>;
  return (
    <ul style={{margin: '2px 0 0', paddingLeft: 18}}>
      {reasons.map((r) => (
        <li key={r.key} style={r.muted ? mutedText : undefined}>
          {r.text}
        </li>
      ))}
    </ul>
  );
}
