// Practice for lesson 11: the sizes of a small convolutional network on
// 28 × 28 digits (F filters 5 × 5 without padding, 2 × 2 max-pooling, a
// dense layer to 10 scores): its feature maps, its parameters, its work.
import { definePractice } from 'downhill';

export default definePractice({
  lesson: 11, name: 'convolution', title: 'Practice: the sizes of a convolutional network',
}, (v) => {
  const F = v.pick([8, 4, 16]);
  const net = `1x28x28-conv${F}x5-maxpool2-10`;
  return [
    { kind: 'number', id: 'map-side', prompt: 'A 5 × 5 filter slides over a 28 × 28 image without padding, one pixel at a time: how many positions does it take across a row?', value: 24, tolerance: 0,
      hint: 'Its left column can start at columns 1 to 28 − 5 + 1.' },
    { kind: 'number', id: 'pooled', prompt: `The network ${net}: ${F} feature maps of 24 × 24, max-pooled in 2 × 2 blocks. How many numbers does the dense layer get per digit?`, value: F * 12 * 12, tolerance: 0,
      hint: 'Each 2 × 2 block of a map gives one number.' },
    { kind: 'number', id: 'parameters', prompt: `How many parameters (weights and biases) has ${net}?`, value: F * 25 + F + F * 144 * 10 + 10, tolerance: 0,
      hint: 'Each filter has 5 × 5 weights and a bias; the dense layer has (outputs × inputs) weights and one bias per output.' },
    { kind: 'number', id: 'uses', prompt: 'For one digit, how many times is each filter weight multiplied by a pixel?', value: 24 * 24, tolerance: 0,
      hint: 'Once at every position of the filter.' },
    { kind: 'number', id: 'conv-work', prompt: `How many multiply-adds does the convolution layer of ${net} do for one digit?`, value: F * 24 * 24 * 25, tolerance: 0,
      hint: 'Filters × positions × weights per filter.' },
  ];
});
