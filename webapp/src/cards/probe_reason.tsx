// Why a probe failed: each failed check with what was observed and what was expected.
import type {Check} from '@contract';
import {useT} from '../i18n/use_t';
import {mutedText} from '../styles';

export function ProbeReason({checks, error}: {checks: readonly Check[]; error?: string}) {
  const t = useT();
  const failed = checks.filter((c) => !c.ok);
  if (failed.length === 0 && !error) return null;
  return (
    <ul style={{margin: '2px 0 0', paddingLeft: 18}}>
      {failed.map((c, i) => (
        <li key={`${c.label}-${i}`}>
          {c.label}: {t('reason.observedExpected', {observed: c.observed, expected: c.expected})}
        </li>
      ))}
      {error && failed.length === 0 && <li style={mutedText}>{error}</li>}
    </ul>
  );
}
