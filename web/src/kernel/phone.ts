// Whether the screen is phone-sized (below 700 px, as in style.css's phone rules), for the few
// layouts CSS cannot reflow (the column count of a descriptions table).
import { onUnmounted, ref } from 'vue';

const QUERY = '(max-width: 700px)';

/** A ref that follows the screen's width while the component lives. */
export function usePhone() {
  const mq = window.matchMedia(QUERY);
  const phone = ref(mq.matches);
  const update = () => { phone.value = mq.matches; };
  mq.addEventListener('change', update);
  onUnmounted(() => mq.removeEventListener('change', update));
  return phone;
}
