import { describe, expect, it } from 'vitest';
import { CASE_STATE_INFO } from '../../../server/domain/case-states.ts';
import { CASE_TRANSITIONS, type TransitionName } from '../../../server/domain/case-transitions.ts';
import {
  CATEGORY_LABELS,
  CLASSIFICATION_LABELS,
  HOLD_STATE_LABELS,
  PERSONNEL_ACTION_KIND_LABELS,
  PERSONNEL_ACTION_STATE_LABELS,
  TERMS,
  TRANSITION_LABELS,
  type Label,
} from '../../../server/domain/labels.ts';
import {
  CATEGORIES,
  CASE_STATES,
  CLASSIFICATIONS,
  HOLD_STATES,
  PERSONNEL_ACTION_KINDS,
  PERSONNEL_ACTION_STATES,
} from '../../../server/domain/vocabulary.ts';

const lower = (s: string) => s.toLocaleLowerCase('vi');

// From the state table in DESIGN.md.
const DESIGN_VI: Record<string, string> = {
  received: 'Đã tiếp nhận',
  triage: 'Đang phân loại',
  needs_info: 'Chờ bổ sung',
  returned: 'Trả đơn, hướng dẫn',
  filed: 'Lưu đơn',
  transferred: 'Đã chuyển đơn',
  referred: 'Chuyển kiểm tra',
  accepted: 'Đã thụ lý',
  not_accepted: 'Không thụ lý',
  verifying: 'Đang xác minh',
  paused: 'Tạm đình chỉ giải quyết',
  terminated: 'Đình chỉ',
  concluded: 'Đã kết luận',
  closed: 'Đã đóng',
  withdrawn: 'Đã rút',
};

describe('case state labels', () => {
  it.each(CASE_STATES)('%s has the Vietnamese label of the design', (state) => {
    expect(CASE_STATE_INFO[state].label.vi).toBe(DESIGN_VI[state]);
  });

  it.each(CASE_STATES)('%s has English and plain public labels', (state) => {
    const info = CASE_STATE_INFO[state];
    for (const l of [info.label, info.publicLabel]) {
      expect(l.vi.trim()).not.toBe('');
      expect(l.en.trim()).not.toBe('');
      expect(l.en).not.toBe(l.vi);
    }
  });

  it('never uses the hold or the suspension wording for a case', () => {
    for (const state of CASE_STATES) {
      const { label, publicLabel } = CASE_STATE_INFO[state];
      for (const text of [label.vi, publicLabel.vi].map(lower)) {
        expect(text).not.toContain('tạm dừng');
        expect(text).not.toContain('đình chỉ công tác');
      }
      for (const text of [label.en, publicLabel.en].map(lower)) {
        expect(text).not.toMatch(/\bhold|suspen/);
      }
    }
  });
});

describe('hold and personnel labels', () => {
  const holdish: Label[] = [...Object.values(HOLD_STATE_LABELS), PERSONNEL_ACTION_STATE_LABELS.held];

  it('never calls a hold a pause or a suspension', () => {
    for (const l of holdish) {
      expect(lower(l.vi)).not.toContain('đình chỉ');
      expect(lower(l.en)).not.toMatch(/pause|suspen/);
    }
  });

  it('keeps the three look-alike terms distinct', () => {
    expect(TERMS.hold.vi).toBe('Tạm dừng công tác cán bộ');
    expect(TERMS.casePause.vi).toBe(CASE_STATE_INFO.paused.label.vi);
    expect(TERMS.suspensionFromDuty.vi).toBe('Tạm đình chỉ công tác');
  });

  it('labels every value of every closed set in both languages', () => {
    const sets: [readonly string[], Record<string, Label>][] = [
      [CLASSIFICATIONS, CLASSIFICATION_LABELS],
      [CATEGORIES, CATEGORY_LABELS],
      [PERSONNEL_ACTION_KINDS, PERSONNEL_ACTION_KIND_LABELS],
      [PERSONNEL_ACTION_STATES, PERSONNEL_ACTION_STATE_LABELS],
      [HOLD_STATES, HOLD_STATE_LABELS],
    ];
    for (const [values, labels] of sets) {
      expect(Object.keys(labels).sort()).toEqual([...values].sort());
      for (const v of values) expect(labels[v]?.vi && labels[v]?.en).toBeTruthy();
    }
  });

  it('names the Art. 25 classification as information, not as a denunciation', () => {
    expect(CLASSIFICATION_LABELS.denunciation_information.vi).toBe('Thông tin có nội dung tố cáo');
    expect(CLASSIFICATION_LABELS.denunciation.vi).toBe('Tố cáo');
  });
});

describe('transition labels', () => {
  it.each(Object.keys(CASE_TRANSITIONS) as TransitionName[])('%s has a public entry exactly when it is public', (t) => {
    expect(TRANSITION_LABELS[t].publicEvent !== null).toBe(CASE_TRANSITIONS[t].isPublic);
  });
});
