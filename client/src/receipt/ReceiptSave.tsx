// A receipt to save: what it shows and does not show, in plain words, with download
// and copy. Used on the token page (the report's receipt) and the follow-up page (each
// message sent in this visit). Held in memory only, like the token.
import { useState } from 'preact/hooks';
import { receiptText, type Receipt } from '../../../shared/src/crypto/receipt-format.ts';
import { Button, ButtonGroup, Details, WarningText } from '../components/Simple.tsx';
import { formatDay } from '../reporter/words.ts';
import { copyText, downloadText } from './save.ts';

export const receiptFileName = (r: Receipt): string => `receipt-${r.caseRef}-${r.kind}-${r.receivedOn}.json`;

export function ReceiptSave({ receipt, headingLevel = 2, title }: { receipt: Receipt; headingLevel?: 2 | 3; title?: string }) {
  const [copied, setCopied] = useState('');
  const text = receiptText(receipt);
  const what = receipt.kind === 'report' ? 'report' : receipt.kind === 'message' ? 'message' : receipt.kind === 'entry' ? 'record entry' : 'attachment';
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div class="app-receipt" data-testid={`receipt-${receipt.kind}`}>
      <Heading class={headingLevel === 2 ? 'govuk-heading-m' : 'govuk-heading-s'}>{title ?? `Your receipt${receipt.kind === 'message' ? ' for this message' : ''}`}</Heading>
      <p class="govuk-body">
        This receipt is signed by the service. It shows that we received your locked {what} on {formatDay(receipt.receivedOn)}, under case reference{' '}
        {receipt.caseRef}.
      </p>
      <p class="govuk-body">
        It says nothing about what you wrote. On its own it does not prove what your {what} said: it only matches the exact locked {what} we
        stored, which the team can check it against.
      </p>
      <WarningText>
        Keep your receipt as safe as your case token. It does not open your {what}, but it links whoever holds it to this case reference.
      </WarningText>
      <ButtonGroup>
        <Button type="button" variant="secondary" onClick={() => downloadText(receiptFileName(receipt), text, 'application/json')}>
          Download receipt<span class="govuk-visually-hidden"> for your {what}</span>
        </Button>
        <Button
          type="button"
          variant="secondary"
          onClick={async () =>
            setCopied((await copyText(text)) ? 'Receipt copied. Paste it somewhere safe and private.' : 'Your browser did not let us copy the receipt. Open “Show the receipt text” and copy it from there.')
          }
        >
          Copy receipt<span class="govuk-visually-hidden"> for your {what}</span>
        </Button>
      </ButtonGroup>
      <div role="status" class="govuk-body app-status">
        {copied}
      </div>
      <Details summary="Show the receipt text">
        <pre class="app-receipt__text" data-testid="receipt-text">{text}</pre>
      </Details>
      <p class="govuk-body">
        You can check a receipt at any time on the{' '}
        <a class="govuk-link" href="/receipt">
          Check a receipt
        </a>{' '}
        page.
      </p>
    </div>
  );
}
