/** A table as a ministry writes it: a year, a date, decimals beside whole numbers, and a schema with titles. */
export const FIGURES_CSV =
  'nam,ngay_cong_bo,tinh,gia_tri,so_ho\n2024,2024-08-03,Hà Nội,18848.1,1234567\n2023,2023-12-25,Huế,5.25,7\n';
export const FIGURES_SCHEMA = {
  fields: [
    { name: 'nam', type: 'integer', title: 'Năm' },
    { name: 'ngay_cong_bo', type: 'date', title: 'Ngày công bố' },
    { name: 'tinh', type: 'string', title: 'Tỉnh/thành' },
    { name: 'gia_tri', type: 'number', title: 'Giá trị (tỷ đồng)' },
    { name: 'so_ho', type: 'integer' },
  ],
};
