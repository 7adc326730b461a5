// counted and article: the words around a number agree with it at any count.
import { describe, expect, test } from 'vitest';
import { article, counted } from '../src/expr/words.ts';

describe('counted(n, singular, plural)', () => {
  test('one takes the singular, every other count the plural', () => {
    expect(counted(1, 'batch', 'batches')).toBe('1 batch');
    expect(counted(0, 'batch', 'batches')).toBe('0 batches');
    expect(counted(250, 'batch', 'batches')).toBe('250 batches');
    expect(counted(1, 'sigmoid unit')).toBe('1 sigmoid unit');
    expect(counted(30, 'sigmoid unit')).toBe('30 sigmoid units');
    expect(counted(1, 'digit')).toBe('1 digit');
  });
  test('thousands are grouped as the lessons write them', () => {
    expect(counted(10000, 'step')).toBe('10,000 steps');
  });
});

describe('article(word)', () => {
  test('an before eight, eleven and eighteen said aloud, a before the other numbers', () => {
    for (const n of ['8', '11', '18', '80', '83', '800', '8000', '11000', '18,000']) expect(article(n)).toBe(`an ${n}`);
    for (const n of ['0', '1', '2', '3', '4', '5', '6', '7', '9', '10', '12', '100', '1800', '110']) expect(article(n)).toBe(`a ${n}`);
  });
  test('for a word, an before a vowel letter', () => {
    expect(article('image')).toBe('an image');
    expect(article('digit')).toBe('a digit');
  });
});
