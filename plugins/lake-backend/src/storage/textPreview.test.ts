import { previewCsv, previewJsonLines, sniffDelimiter } from './textPreview';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('previewCsv', () => {
  it('parses quoted fields with delimiters, quotes and line breaks', () => {
    const csv =
      'id,name,note\r\n1,"Doe, Jane","said ""hi"""\r\n2,plain,"two\nlines"\r\n3,,\r\n';
    const preview = previewCsv(bytes(csv), { rows: 10, complete: true });
    expect(preview.columns).toEqual([
      { name: 'id', type: 'string' },
      { name: 'name', type: 'string' },
      { name: 'note', type: 'string' },
    ]);
    expect(preview.rows).toEqual([
      ['1', 'Doe, Jane', 'said "hi"'],
      ['2', 'plain', 'two\nlines'],
      ['3', '', ''],
    ]);
    expect(preview.truncated).toBe(false);
  });

  it('stops at the rows asked for and says more follow', () => {
    const csv = `a\n${Array.from({ length: 20 }, (_, i) => i).join('\n')}\n`;
    const preview = previewCsv(bytes(csv), { rows: 5, complete: true });
    expect(preview.rows).toEqual([['0'], ['1'], ['2'], ['3'], ['4']]);
    expect(preview.truncated).toBe(true);
  });

  it('drops the last record cut by the read, even inside quotes', () => {
    const full = 'a,b\n1,"x\ny"\n2,"long value cut'; // read stopped inside a quoted field
    const preview = previewCsv(bytes(full), { rows: 10, complete: false });
    expect(preview.rows).toEqual([['1', 'x\ny']]);
    expect(preview.truncated).toBe(true);
    const cutLine = previewCsv(bytes('a,b\n1,2\n3,4'), {
      rows: 10,
      complete: false,
    });
    expect(cutLine.rows).toEqual([['1', '2']]);
    // The whole file: the last line without a line break is a record.
    expect(
      previewCsv(bytes('a,b\n1,2\n3,4'), { rows: 10, complete: true }).rows,
    ).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('handles a BOM, ragged rows, blank lines, empty and repeated headers', () => {
    const preview = previewCsv(bytes('\ufeffa,,a\n1,2\n\n3,4,5,6\n'), {
      rows: 10,
      complete: true,
    });
    expect(preview.columns.map(c => c.name)).toEqual([
      'a',
      'column_2',
      'a_2',
      'column_4',
    ]);
    expect(preview.rows).toEqual([
      ['1', '2', null, null],
      ['3', '4', '5', '6'],
    ]);
  });

  it('sniffs ; and tab delimiters from the header line', () => {
    expect(sniffDelimiter('a;b;c\n1,5;2;3')).toBe(';');
    expect(sniffDelimiter('a\tb\n')).toBe('\t');
    expect(sniffDelimiter('"a;b",c\n')).toBe(',');
    expect(
      previewCsv(bytes('a;b\n1,5;2\n'), { rows: 5, complete: true }).rows,
    ).toEqual([['1,5', '2']]);
  });

  it('is a LakePreviewError for an unclosed quote in a whole file, or a header longer than the read', () => {
    expect(() =>
      previewCsv(bytes('a,b\n1,"open\n2,3\n'), { rows: 5, complete: true }),
    ).toThrow(
      expect.objectContaining({
        name: 'LakePreviewError',
        message:
          'Not a valid CSV file: the quoted field opened on line 2 is never closed',
      }),
    );
    expect(() =>
      previewCsv(bytes('x'.repeat(2048)), { rows: 5, complete: false }),
    ).toThrow(/header row is longer than the 2 KiB a preview reads/);
  });

  it('is empty for an empty file', () => {
    expect(previewCsv(bytes(''), { rows: 5, complete: true })).toEqual({
      columns: [],
      rows: [],
      truncated: false,
    });
  });
});

describe('previewJsonLines', () => {
  it('reads objects, columns in order of first appearance, typed by their JSON values', () => {
    const text = [
      '{"id":1,"name":"a","tags":["x"]}',
      '',
      '{"id":2,"name":null,"extra":{"k":true}}',
      '{"id":"3","name":"c"}',
    ].join('\r\n');
    const preview = previewJsonLines(bytes(text), { rows: 10, complete: true });
    expect(preview.columns).toEqual([
      { name: 'id', type: 'number | string' },
      { name: 'name', type: 'string' },
      { name: 'tags', type: 'array' },
      { name: 'extra', type: 'object' },
    ]);
    expect(preview.rows).toEqual([
      [1, 'a', ['x'], null],
      [2, null, null, { k: true }],
      ['3', 'c', null, null],
    ]);
    expect(preview.truncated).toBe(false);
  });

  it('drops a cut last line and stops at the rows asked for', () => {
    const text = '{"a":1}\n{"a":2}\n{"a":3}\n{"a":';
    expect(
      previewJsonLines(bytes(text), { rows: 10, complete: false }).rows,
    ).toEqual([[1], [2], [3]]);
    const two = previewJsonLines(bytes(text), { rows: 2, complete: false });
    expect(two.rows).toEqual([[1], [2]]);
    expect(two.truncated).toBe(true);
  });

  it('is a LakePreviewError for a line that is not a JSON object, or a JSON array document', () => {
    expect(() =>
      previewJsonLines(bytes('{"a":1}\nnot json\n'), {
        rows: 5,
        complete: true,
      }),
    ).toThrow(
      expect.objectContaining({
        name: 'LakePreviewError',
        message: expect.stringContaining('line 2 is not JSON'),
      }),
    );
    expect(() =>
      previewJsonLines(bytes('{"a":1}\n42\n'), { rows: 5, complete: true }),
    ).toThrow('line 2 holds number');
    expect(() =>
      previewJsonLines(bytes('[\n{"a":1}\n]'), { rows: 5, complete: true }),
    ).toThrow('it holds a JSON array');
  });
});
