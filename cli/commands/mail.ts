/**
 * `cpflow mail …`: read the local mailbox that `npm start`'s SMTP sink fills, so a developer can see
 * reminders and escalations arrive without a mail server.
 *   list [--json]      received messages, oldest first
 *   show ID [--raw]    one message: headers and text (or the raw RFC 5322 source)
 */
import { formatColumns } from '../cases/format';
import type { Command } from 'commander';
import { cpflowDataDir } from '../../client/data-dir';
import { Mailbox } from '../../mail/mailbox';

function write(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Registers the `mail` command group. */
export function registerMailCommands(program: Command): void {
  const mail = program
    .command('mail')
    .description('read the local mailbox filled by the SMTP sink of `npm start` (CPFLOW_DATA_DIR/mailbox)');

  mail
    .command('list')
    .description('list received messages, oldest first')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) => {
      const mailbox = Mailbox.inDataDir(cpflowDataDir());
      const entries = await mailbox.list();
      if (options.json) {
        write(JSON.stringify(entries, null, 2));
        return;
      }
      if (entries.length === 0) {
        write(`No messages yet in ${mailbox.dir}. Run \`npm start\`, then create a case to see reminders arrive.`);
        return;
      }
      const lines = formatColumns(
        ['ID', 'RECEIVED (UTC)', 'TO', 'SUBJECT'],
        entries.map((entry) => [
          entry.id,
          entry.receivedAt.slice(0, 16).replace('T', ' '),
          entry.to.join(', '),
          entry.subject,
        ]),
      );
      for (const line of lines) write(line);
    });

  mail
    .command('show')
    .description('show one received message')
    .argument('<id>', 'message id from `cpflow mail list`')
    .option('--raw', 'print the raw message source')
    .action(async (id: string, options: { raw?: boolean }) => {
      const message = await Mailbox.inDataDir(cpflowDataDir()).read(id);
      if (options.raw) {
        process.stdout.write(message.raw);
        return;
      }
      write(`Message:    ${message.id}`);
      write(`Received:   ${message.receivedAt}`);
      write(`To:         ${message.to.join(', ')}`);
      write(`Subject:    ${message.subject}`);
      if (message.messageId) write(`Message-ID: ${message.messageId}`);
      write('');
      process.stdout.write(message.text.endsWith('\n') ? message.text : `${message.text}\n`);
    });
}
