import template from './duiding-waarschuwing.json';
import { render } from './render';

export interface DuidingWaarschuwingData {
  caseId: string;
  reference: string;
  /** The warning itself: which steps were not looked at, and the question whether to go on. */
  tekst: string;
  /** The steps, for the answer after "Terug". */
  stappen: string;
  terug: boolean;
}

/** Asks for confirmation before the duiding when principle steps 2 and 3 were not looked at. */
export function duidingWaarschuwingCard(data: DuidingWaarschuwingData) {
  return render<DuidingWaarschuwingData>(template, data);
}
