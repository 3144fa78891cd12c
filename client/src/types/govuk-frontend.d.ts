// govuk-frontend ships no type declarations; this names only what the client uses.
declare module 'govuk-frontend' {
  export interface ExitThisPageConfig {
    i18n?: {
      activated?: string;
      timedOut?: string;
      pressTwoMoreTimes?: string;
      pressOneMoreTime?: string;
    };
  }
  export class ExitThisPage {
    constructor($root: Element | null, config?: ExitThisPageConfig);
    $root: HTMLElement;
    $button: HTMLAnchorElement;
    $updateSpan: HTMLElement | null;
    $overlay: HTMLElement | null;
    exitPage(): void;
  }
}
