/**
 * A lesson page's settings form, wired once for both kinds of live page
 * (site/live/lesson.ts reruns the lesson, site/live/training.ts trains):
 * a number setting is a field and a slider that show each other's value,
 * and the slider speaks the value, not its 0–1000 position.
 */
import type { FlagControl } from '../build.ts';
import { sliderToValue, valueToSlider } from './slider.ts';

/** The slider beside a number setting's field. */
const sliderOf = (form: HTMLElement, flag: string): HTMLInputElement => form.querySelector<HTMLInputElement>(`input[type=range][data-flag=${flag}]`)!;

/**
 * Calls `changed` (with the event's time) when a setting changes: a choice or a field once changed, the form
 * submitted, and a slider while it moves (`sliders: 'moving'`: a rerun is quick) or once let go ('let go': each
 * change trains for seconds).
 */
export function wireControls(form: HTMLFormElement, flags: readonly FlagControl[], changed: (at: number) => void, sliders: 'moving' | 'let go'): void {
  for (const f of flags) {
    const control = form.querySelector<HTMLInputElement | HTMLSelectElement>(`[name=${f.flag}]`)!;
    if (f.kind !== 'number') {
      control.addEventListener('change', (e) => changed(e.timeStamp));
      continue;
    }
    const field = control as HTMLInputElement;
    const slider = sliderOf(form, f.flag);
    slider.addEventListener('input', (e) => {
      field.value = String(sliderToValue(f, Number(slider.value)));
      slider.setAttribute('aria-valuetext', field.value);
      if (sliders === 'moving') changed(e.timeStamp);
    });
    if (sliders === 'let go') slider.addEventListener('change', (e) => changed(e.timeStamp));
    field.addEventListener('change', (e) => {
      const v = Number(field.value);
      if (Number.isFinite(v)) slider.value = String(valueToSlider(f, v));
      slider.setAttribute('aria-valuetext', field.value);
      changed(e.timeStamp);
    });
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    changed(e.timeStamp);
  });
}

/** Puts a setting's value (a shared link's) in its control, and a number's slider with it. */
export function showSetting(form: HTMLElement, f: FlagControl, value: string): void {
  const control = form.querySelector<HTMLInputElement | HTMLSelectElement>(`[name=${f.flag}]`)!;
  if (f.kind === 'boolean') {
    (control as HTMLInputElement).checked = value === 'true';
    return;
  }
  control.value = value;
  if (f.kind !== 'number') return;
  const slider = sliderOf(form, f.flag);
  if (Number.isFinite(Number(value))) slider.value = String(valueToSlider(f, Number(value)));
  slider.setAttribute('aria-valuetext', value);
}
