export { ProductNamePicker, productNameProblem } from './ProductNamePicker';
export { productNamePickerField, validateProductName } from './field';
