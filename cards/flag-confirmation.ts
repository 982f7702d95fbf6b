import template from './flag-confirmation.json';
import { render } from './render';

export interface FlagConfirmationData {
  reference: string;
  message: string;
  threadUrl: string;
}

export function flagConfirmationCard(data: FlagConfirmationData) {
  return render<FlagConfirmationData>(template, data);
}
